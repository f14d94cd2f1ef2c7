using QRCoder;

namespace Worktime.Api.WebApp;

/// <summary>
/// QR codes drawn on the server (QRCoder) as SVG, for an <c>img</c> with a <c>data:</c> address: no outside request,
/// and the page's Content-Security-Policy (<c>img-src 'self' data:</c>) stays as it is.
/// </summary>
internal static class QrCodes
{
    public static string SvgDataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        using var qr = new SvgQRCode(data);
        var svg = qr.GetGraphic(6);
        return "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(svg));
    }
}
