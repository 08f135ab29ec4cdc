"""The cycle app's models live in its sub-packages (projects, needs, engagement); they are
gathered here for Django and for the apps that read them."""

from commissioning.cycle.engagement.models import (  # noqa: F401
    EngagementEvent,
    EventKind,
    FeedbackResponse,
    FeedbackSurvey,
    Respondent,
)
from commissioning.cycle.needs.models import (  # noqa: F401
    ExistingProvision,
    NeedLevel,
    NeedsAssessment,
)
from commissioning.cycle.projects.models import (  # noqa: F401
    CommissioningProject,
    ProjectReview,
    ProjectSequence,
    ProjectStageChange,
    ProjectStatus,
    ProjectStep,
    ReviewOutcome,
)
