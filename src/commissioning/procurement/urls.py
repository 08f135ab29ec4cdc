from django.urls import path

from commissioning.procurement.contracts import views as contracts
from commissioning.procurement.exercises import views as exercises
from commissioning.procurement.ocds import views as ocds
from commissioning.procurement.pooled import views as pooled
from commissioning.procurement.tenders import views as tenders

app_name = "procurement"
STAFF = "staff/<slug:office_slug>/procurement/"
EXERCISE = f"{STAFF}exercises/<str:reference>/"
urlpatterns = [
    path("<slug:office_slug>/open-data/ocds.json", ocds.ocds_package, name="ocds"),
    path(f"{STAFF}exercises/", exercises.exercise_list, name="exercises"),
    path(f"{STAFF}exercises/start/", exercises.exercise_start, name="exercise_start"),
    path(EXERCISE, exercises.exercise_detail, name="exercise"),
    path(f"{EXERCISE}open/", exercises.exercise_open, name="exercise_open"),
    path(f"{EXERCISE}project/", exercises.exercise_project, name="exercise_project"),
    path(f"{EXERCISE}bids/", exercises.bid_add, name="bid_add"),
    path(f"{EXERCISE}evaluators/", exercises.evaluator_add, name="evaluator_add"),
    path(f"{EXERCISE}service-users/", exercises.service_users, name="service_users"),
    path(f"{EXERCISE}close/", exercises.exercise_close, name="exercise_close"),
    path(f"{EXERCISE}single-tender/", exercises.single_tender_justify, name="single_tender"),
    path(f"{EXERCISE}award/", exercises.award_propose, name="award_propose"),
    path(f"{EXERCISE}terms/", exercises.contract_terms, name="contract_terms"),
    path(f"{EXERCISE}evaluate/", tenders.evaluate, name="evaluate"),
    path(f"{EXERCISE}evaluate/<str:supplier_ref>/declare/", tenders.declare, name="declare"),
    path(f"{EXERCISE}evaluate/<str:supplier_ref>/score/", tenders.score, name="score"),
    path(f"{STAFF}contracts/", contracts.contract_list, name="contracts"),
    path(f"{STAFF}contracts/<str:reference>/", contracts.contract_detail, name="contract"),
    path(f"{STAFF}pooled-budgets/", pooled.pool_list, name="pools"),
    path(f"{STAFF}pooled-budgets/new/", pooled.pool_create, name="pool_create"),
    path(f"{STAFF}pooled-budgets/<str:reference>/", pooled.pool_detail, name="pool"),
    path(
        "organisations/<slug:ref>/contracts/<str:contract_ref>/returns/<int:number>/",
        contracts.provider_return,
        name="provider_return",
    ),
]
