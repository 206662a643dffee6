using System.Text.Encodings.Web;

namespace JobScheduler.Silo.Observability.Dashboard;

/// <summary>The HTML of the dashboard's login form.</summary>
internal static class DashboardLoginPage
{
    /// <summary>Returns the form with an optional notice (why every login fails) and error (why the last attempt failed).</summary>
    public static IResult Render(int statusCode, string returnUrl, string? notice, string? error)
    {
        var encoder = HtmlEncoder.Default;
        var noticeHtml = notice is null ? "" : $"<p class=\"notice\">{encoder.Encode(notice)}</p>";
        var errorHtml = error is null ? "" : $"<p class=\"error\" role=\"alert\">{encoder.Encode(error)}</p>";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>JobScheduler dashboard: log in</title>
              <style>
                body { font-family: system-ui, sans-serif; background: #f4f5f7; display: flex; justify-content: center; padding-top: 10vh; }
                form { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); width: 20rem; }
                h1 { font-size: 1.25rem; margin-top: 0; }
                label { display: block; margin: .75rem 0 .25rem; }
                input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; }
                button { margin-top: 1.25rem; width: 100%; padding: .6rem; }
                .error { color: #b00020; }
                .notice { color: #8a6d00; }
              </style>
            </head>
            <body>
              <form method="post" action="{{DashboardLogin.LoginPath}}">
                <h1>JobScheduler dashboard</h1>
                {{noticeHtml}}
                {{errorHtml}}
                <input type="hidden" name="returnUrl" value="{{encoder.Encode(returnUrl)}}">
                <label for="username">User name</label>
                <input id="username" name="username" type="text" autocomplete="username" required autofocus>
                <label for="password">Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required>
                <button type="submit">Log in</button>
              </form>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: statusCode);
    }
}
