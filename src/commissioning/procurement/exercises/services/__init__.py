"""Every write to procurement exercises: running them (running.py) and the decisions on them
(deciding.py)."""

from commissioning.procurement.exercises.services.deciding import (  # noqa: F401
    AWARD,
    SINGLE_TENDER,
    award_propose,
    single_tender_approve,
    single_tender_justify,
)
from commissioning.procurement.exercises.services.running import (  # noqa: F401
    BID_FOLDER,
    bid_record,
    contract_terms_set,
    exercise_cancel,
    exercise_close,
    exercise_open,
    exercise_project_link,
    exercise_start,
    exercise_transition,
)
