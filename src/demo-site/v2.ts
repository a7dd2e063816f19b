// Demo site v2, the "redesign": the same visible labels and texts as v1, but every hook a recorded selector
// could have used is different. Ids and classes are build-hash style, fields sit in extra wrappers, the
// password block comes BEFORE the username block in the DOM (CSS `order` puts it back visually), Username
// is a wrapping label and Password uses aria-labelledby (v1 used `label for`), there is no <form>, and the
// button's wording was restyled to title case ("Log In") and it got an aria-label ("Continue to your account")
// that replaces its accessible name. A fresh look does not take it (its name says something else than the step),
// so the exact selector a v1 run cached (role=button[name="Log in"]) breaks and the engine heals it: the visible
// text and the stored fingerprint (two independent families) agree, so the heal is verified and the run detail
// shows the healed step with its old and new selector.
export const DEMO_LOGIN_V2 = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Portal · Sign in</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; background: #0f172a; color: #0f172a; }
  .a1x9 { display: flex; align-items: center; justify-content: space-between; padding: 12px 32px;
          background: #111c36; color: #e2e8f0; }
  .a1x9 b { font-size: 17px; letter-spacing: .03em; }
  .a1x9 nav a { color: #94a3b8; text-decoration: none; margin-left: 20px; font-size: 14px; }
  .k7q2 { min-height: calc(100vh - 52px); display: grid; place-items: center; padding: 24px; }
  .p0z3 { width: 100%; max-width: 420px; background: #f8fafc; border-radius: 16px; padding: 36px 32px; }
  .p0z3 h1 { margin: 0 0 4px; font-size: 24px; }
  .p0z3 .s8t1 { margin: 0 0 24px; color: #64748b; font-size: 14px; }
  .f3v7 { display: flex; flex-direction: column; }
  .f3v7 > .u9d0 { order: 1; } .f3v7 > .w2m5 { order: 2; } .f3v7 > .b6r4 { order: 3; }
  .r4n8 { margin-bottom: 18px; }
  .r4n8 .t1c5 { display: block; font-size: 13px; font-weight: 600; text-transform: none; margin-bottom: 6px; color: #334155; }
  .r4n8 input { width: 100%; font: inherit; padding: 11px 12px; border: 1px solid #cbd5e1; border-radius: 10px; background: #fff; }
  .r4n8 input:focus { outline: 2px solid #7c3aed; border-color: transparent; }
  ._b8x1 { display: block; width: 100%; border: 0; font: inherit; text-align: center; font-weight: 600; padding: 12px; border-radius: 10px;
           background: linear-gradient(90deg, #7c3aed, #2563eb); color: #fff; cursor: pointer; user-select: none; }
  ._b8x1:focus-visible { outline: 3px solid #c4b5fd; }
  .e5h2 { color: #b91c1c; font-size: 14px; margin: 0 0 12px; }
  .g9w4 { font-size: 22px; font-weight: 700; color: #4c1d95; }
</style>
</head>
<body>
<div class="a1x9"><b>Acme Portal</b><nav aria-label="Main"><a href="#">Product</a><a href="#">Docs</a><a href="#">Support</a></nav></div>
<div class="k7q2">
  <section class="p0z3">
    <h1>Sign in</h1>
    <p class="s8t1">Welcome back to Acme.</p>
    <div class="e5h2" role="alert" data-q="err" hidden></div>
    <div class="f3v7" data-q="frm">
      <div class="w2m5">
        <div class="r4n8">
          <span class="t1c5" id="x-4f1a">Password</span>
          <div class="c0j6"><input class="i7k3" type="password" aria-labelledby="x-4f1a" autocomplete="current-password" data-q="pw"></div>
        </div>
      </div>
      <div class="u9d0">
        <div class="r4n8">
          <label><span class="t1c5">Username</span>
            <span class="c0j6"><input class="i2p8" autocomplete="username" data-q="un"></span>
          </label>
        </div>
      </div>
      <div class="b6r4"><button class="_b8x1 _c2" type="submit" data-q="go" aria-label="Continue to your account">Log In</button></div>
    </div>
    <div class="g9w4" data-q="hi" hidden></div>
  </section>
</div>
<script>
  (function () {
    function q(name) { return document.querySelector('[data-q="' + name + '"]'); }
    function submit() {
      var username = q("un").value.trim();
      var password = q("pw").value;
      var error = q("err");
      if (!username || !password) {
        error.textContent = "Enter your username and password.";
        error.hidden = false;
        return;
      }
      q("frm").hidden = true;
      q("frm").style.display = "none";
      error.hidden = true;
      var hi = q("hi");
      hi.textContent = "Welcome, " + username;
      hi.hidden = false;
    }
    var go = q("go");
    go.addEventListener("click", submit);
    go.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); submit(); }
    });
    q("frm").addEventListener("keydown", function (e) {
      if (e.key === "Enter" && e.target.tagName === "INPUT") submit();
    });
  })();
</script>
</body>
</html>
`;
