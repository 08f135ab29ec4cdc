"""The procurement app's models, one sub-package per noun: exercises (and their quotes and
bids), tenders (the evaluation panel), pooled budgets, contracts."""

from commissioning.procurement.contracts.models import (  # noqa: F401
    Contract,
    ContractCommitment,
    ExtensionOption,
    Kpi,
)
from commissioning.procurement.exercises.models import (  # noqa: F401
    Bid,
    ExerciseStatusChange,
    ProcurementExercise,
)
from commissioning.procurement.pooled.models import Contribution, PooledBudget  # noqa: F401
from commissioning.procurement.tenders.models import BidConflict, BidScore, Evaluator  # noqa: F401
