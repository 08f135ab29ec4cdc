"""The assessment API, one router made of its parts: panels and declarations, scores and
moderation, and portfolio allocation runs."""

from ninja import Router

from commissioning.assessment.allocation.api import router as allocation_router
from commissioning.assessment.panels.api import router as panels_router
from commissioning.assessment.scoring.api import router as scoring_router

router = Router()
router.add_router("", panels_router)
router.add_router("", scoring_router)
router.add_router("", allocation_router)
