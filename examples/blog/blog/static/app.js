// Marks the page so a browser test can see that scripts ran.
"use strict";

document.body.dataset.js = "loaded";
document.getElementById("js-status").textContent = "JavaScript is on.";
