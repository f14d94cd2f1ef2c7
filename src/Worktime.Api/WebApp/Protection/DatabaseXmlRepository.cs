using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Worktime.Api.Data;

namespace Worktime.Api.WebApp.Protection;

/// <summary>
/// ASP.NET Core data-protection keys (what antiforgery tokens are sealed with) in the database, so every node
/// reads the same key ring and accepts every other node's forms (docs/webapp.md, "Antiforgery"). The framework's
/// interface is synchronous; it is called at start-up, when a key is created (every 90 days) and when a node
/// refreshes its ring (once a day), never per request.
/// </summary>
internal sealed class DatabaseXmlRepository(Database database, TimeProvider time) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, name")
            .Select(xml => XElement.Parse(xml))
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        var writer = database.OpenWriterAsync().GetAwaiter().GetResult();
        try
        {
            writer.Connection.Execute(
            "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @now)",
            new { name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), now = time.GetUtcNow().ToUnixTimeSeconds() },
            writer.Transaction);
            writer.CommitAsync().GetAwaiter().GetResult();
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
