using System.Net;
using System.Text.RegularExpressions;

namespace Throughline.Tests.Support;

/// <summary>Follows a sign-in link as a browser without scripts does: the page shows the form filled in, and the person presses the button.</summary>
public static partial class SignInForm
{
    /// <summary>GETs <paramref name="link"/>, reads the form's hidden fields and token, and posts them; returns the POST's answer.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient browser, string link)
    {
        var page = await browser.GetStringAsync(link, TestContext.Current.CancellationToken);
        var fields = Field().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        Assert.True(fields.ContainsKey("__form"), page);
        return await browser.PostAsync(new Uri(new Uri(link), "/sign-in"), new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
    }

    [GeneratedRegex("<input (?:id=\"token\" )?(?:type=\"hidden\" )?name=\"(?<name>[^\"]+)\"[^>]*?value=\"(?<value>[^\"]*)\"")]
    private static partial Regex Field();
}
