// What the settings pages share beyond the API: copying a value for the admin to paste
// elsewhere (a widget snippet, a token), with a fallback where the clipboard is refused.

export async function copyText(text, button, copiedLabel) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Plain http or a refused permission: copy through a selected, off-screen field.
    const field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.left = "-9999px";
    document.body.append(field);
    field.select();
    document.execCommand("copy");
    field.remove();
  }
  const label = button.textContent;
  button.textContent = copiedLabel;
  button.dataset.copied = "true";
  setTimeout(() => {
    button.textContent = label;
    delete button.dataset.copied;
  }, 2000);
}
