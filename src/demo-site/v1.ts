// Demo site v1 ("Acme Portal"): the page the seeded demo test was written against. Plain, semantic markup:
// `label for` associations, stable ids, a real <form> and <button>. Client-side only, no server round trip.
export const DEMO_LOGIN_V1 = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Portal · Sign in</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; background: #f3f5f9; color: #1c2333; }
  .topbar { background: #1f3a8a; color: #fff; padding: 14px 28px; font-weight: 600; letter-spacing: .02em; }
  .card { max-width: 380px; margin: 64px auto; background: #fff; border-radius: 10px; padding: 32px;
          box-shadow: 0 1px 3px rgba(0,0,0,.08), 0 8px 24px rgba(0,0,0,.06); }
  h1 { margin: 0 0 20px; font-size: 22px; }
  .field { margin-bottom: 16px; display: flex; flex-direction: column; gap: 6px; }
  label { font-size: 14px; font-weight: 600; }
  input { font: inherit; padding: 9px 11px; border: 1px solid #c5ccd9; border-radius: 6px; }
  input:focus { outline: 2px solid #3b5bdb; border-color: transparent; }
  .btn { font: inherit; font-weight: 600; width: 100%; padding: 10px; border: 0; border-radius: 6px;
         background: #3b5bdb; color: #fff; cursor: pointer; }
  .btn:hover { background: #2f4bc0; }
  .error { color: #b42318; font-size: 14px; margin: 0 0 12px; }
  .welcome { font-size: 20px; font-weight: 600; }
</style>
</head>
<body>
<header class="topbar">Acme Portal</header>
<main class="card">
  <h1>Sign in</h1>
  <form id="login-form" novalidate>
    <p id="login-error" class="error" role="alert" hidden></p>
    <div class="field">
      <label for="username">Username</label>
      <input id="username" name="username" autocomplete="username">
    </div>
    <div class="field">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password">
    </div>
    <button id="login-btn" class="btn" type="submit">Log in</button>
  </form>
  <p id="welcome" class="welcome" hidden></p>
</main>
<script>
  document.getElementById("login-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var username = document.getElementById("username").value.trim();
    var password = document.getElementById("password").value;
    var error = document.getElementById("login-error");
    if (!username || !password) {
      error.textContent = "Enter your username and password.";
      error.hidden = false;
      return;
    }
    this.hidden = true;
    var welcome = document.getElementById("welcome");
    welcome.textContent = "Welcome, " + username;
    welcome.hidden = false;
  });
</script>
</body>
</html>
`;
