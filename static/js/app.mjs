// Loaded as a module from a file so the Content-Security-Policy needs no inline scripts.
import { initAll } from "../build/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
