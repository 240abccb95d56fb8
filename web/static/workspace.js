// Progressive only: every page works without this file.
// A measure picked from the list shows at once (the Show button does the same without script).
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form.requestSubmit());
});
