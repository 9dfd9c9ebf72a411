// Signs an agent in; the server sets the session and CSRF cookies and the page reloads as the console.
const strings = JSON.parse(document.getElementById("kefu-strings").textContent);
const form = document.getElementById("login-form");
const error = document.getElementById("login-error");
const submit = document.getElementById("login-submit");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.hidden = true;
  submit.disabled = true;
  submit.textContent = strings.login_busy;
  try {
    const response = await fetch("/api/v1/auth/login", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ email: form.email.value, password: form.password.value }),
    });
    if (response.ok) {
      window.location.reload();
      return;
    }
    error.textContent = response.status === 429 ? (await response.json()).detail : strings.login_failed;
  } catch {
    error.textContent = strings.login_failed;
  }
  error.hidden = false;
  submit.disabled = false;
  submit.textContent = strings.login_submit;
});
