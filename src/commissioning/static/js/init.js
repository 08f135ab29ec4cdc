// Marks the page as JavaScript-enabled and starts GOV.UK Frontend components.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
