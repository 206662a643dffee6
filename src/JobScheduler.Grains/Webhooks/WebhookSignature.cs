using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace JobScheduler.Grains.Webhooks;

/// <summary>
/// The <c>JobScheduler-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;[,v1=&lt;hex&gt;]</c>. Each
/// <c>v1</c> is the lowercase hex HMAC-SHA256 of <c>"{t}.{body}"</c>, keyed with the UTF-8 bytes of one secret
/// (the whole string, <c>whsec_</c> prefix included).
/// </summary>
public static class WebhookSignature
{
    /// <summary>Returns the header value for <paramref name="body"/> signed at <paramref name="unixSeconds"/> with each secret, in order.</summary>
    public static string Create(long unixSeconds, ReadOnlySpan<byte> body, IEnumerable<string> secrets)
    {
        var header = new StringBuilder("t=").Append(unixSeconds.ToString(CultureInfo.InvariantCulture));
        foreach (var secret in secrets)
        {
            header.Append(",v1=").Append(Compute(secret, unixSeconds, body));
        }

        return header.ToString();
    }

    /// <summary>Returns the lowercase hex HMAC-SHA256 of <c>"{unixSeconds}.{body}"</c> keyed with <paramref name="secret"/>.</summary>
    public static string Compute(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }
}
