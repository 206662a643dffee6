using System.Net;
using System.Net.Http.Headers;

namespace JobScheduler.Client.Tests.Operator;

/// <summary>The dashboard's browser login on a silo with operator credentials.</summary>
[Collection(SiloCollection.Name)]
public sealed class DashboardLoginTests(SiloFixture fixture)
{
    [Fact]
    public async Task Dashboard_BrowserWithoutCookie_RedirectsToLogin()
    {
        using var browser = fixture.NewBrowser(new CookieContainer());

        using var response = await GetHtmlAsync(browser, "/dashboard/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard/login", response.Headers.Location!.AbsolutePath);
        Assert.Contains("returnUrl=%2Fdashboard%2F", response.Headers.Location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_ScriptWithoutCookie_Returns401()
    {
        using var browser = fixture.NewBrowser(new CookieContainer());

        using var response = await browser.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task LoginForm_IsServed()
    {
        using var browser = fixture.NewBrowser(new CookieContainer());

        using var response = await GetHtmlAsync(browser, "/dashboard/login?returnUrl=%2Fdashboard%2F");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("name=\"password\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"/dashboard/\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_CorrectPassword_OpensDashboard()
    {
        var cookies = new CookieContainer();
        using var browser = fixture.NewBrowser(cookies);

        using var login = await LogInAsync(browser, SiloFixture.OperatorName, SiloFixture.OperatorPassword);
        using var dashboard = await GetHtmlAsync(browser, "/dashboard/");
        var html = await dashboard.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/dashboard/", login.Headers.Location!.OriginalString);
        var cookie = Assert.Single(cookies.GetCookies(new Uri(fixture.Silo.BaseUrl + "/dashboard/")));
        Assert.True(cookie.HttpOnly);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Orleans Dashboard", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WrongPassword_Returns401WithoutCookie()
    {
        var cookies = new CookieContainer();
        using var browser = fixture.NewBrowser(cookies);

        using var login = await LogInAsync(browser, SiloFixture.OperatorName, "wrong password");
        using var dashboard = await GetHtmlAsync(browser, "/dashboard/");

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Contains("Invalid user name or password.", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(cookies.GetCookies(new Uri(fixture.Silo.BaseUrl + "/dashboard/")));
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    [Fact]
    public async Task Login_WrongUserName_Returns401()
    {
        using var browser = fixture.NewBrowser(new CookieContainer());

        using var login = await LogInAsync(browser, "admin", SiloFixture.OperatorPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task Login_ForeignReturnUrl_GoesToDashboard()
    {
        using var browser = fixture.NewBrowser(new CookieContainer());

        using var login = await LogInAsync(browser, SiloFixture.OperatorName, SiloFixture.OperatorPassword, "https://evil.example/");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/dashboard/", login.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Logout_EndsSession()
    {
        using var browser = fixture.NewBrowser(new CookieContainer());
        using (await LogInAsync(browser, SiloFixture.OperatorName, SiloFixture.OperatorPassword))
        {
        }

        using var logout = await browser.PostAsync("/dashboard/logout", content: null);
        using var dashboard = await GetHtmlAsync(browser, "/dashboard/");

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    [Fact]
    public async Task Api_IsNotOpenedByDashboardCookie()
    {
        using var browser = fixture.NewBrowser(new CookieContainer());
        using (await LogInAsync(browser, SiloFixture.OperatorName, SiloFixture.OperatorPassword))
        {
        }

        // Dev mode on loopback: the API treats anonymous requests as user 'dev', never as the operator.
        using var response = await browser.GetAsync("/api/v1/jobs/job_01M91FGV6B6RJ2JBWFMSYVJSA9");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/dashboard/", "/dashboard/")]
    [InlineData("/dashboard", "/dashboard")]
    [InlineData("/dashboard/grains", "/dashboard/grains")]
    [InlineData("//evil.example/dashboard/", "/dashboard/")]
    [InlineData("/dashboard\\..\\evil", "/dashboard/")]
    [InlineData("/dashboardx", "/dashboard/")]
    [InlineData("/dashboard/login", "/dashboard/")]
    [InlineData("/api/v1/jobs", "/dashboard/")]
    [InlineData(null, "/dashboard/")]
    public void SafeReturnUrl_KeepsOnlyDashboardPaths(string? requested, string expected)
    {
        Assert.Equal(expected, Silo.Observability.Dashboard.DashboardLogin.SafeReturnUrl(requested));
    }

    private static Task<HttpResponseMessage> GetHtmlAsync(HttpClient browser, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return browser.SendAsync(request);
    }

    private static Task<HttpResponseMessage> LogInAsync(HttpClient browser, string username, string password, string returnUrl = "/dashboard/") =>
        browser.PostAsync("/dashboard/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
        }));
}
