// The console's own behaviour, in one file: the Content-Security-Policy allows no inline
// handlers. A <select data-submit-on-change> sends its form as soon as it changes; a
// field marked data-select-on-focus has its text selected when focused, so typing
// replaces it (the finish order, typed again after a mistake). After a save the cursor
// goes to the element marked data-focus-after-save (the "Next race" link), never to a
// control that would submit again.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field.matches("select[data-submit-on-change]") && field.form) {
    field.form.requestSubmit();
  }
});

function selectOnFocus(field) {
  if (field instanceof HTMLInputElement && field.matches("[data-select-on-focus]")) {
    field.select();
  }
}

document.addEventListener("focusin", (event) => selectOnFocus(event.target));
// A field with autofocus may have the focus before this deferred script runs.
selectOnFocus(document.activeElement);

const afterSave = document.querySelector("[data-focus-after-save]");
if (afterSave) {
  afterSave.focus();
}
