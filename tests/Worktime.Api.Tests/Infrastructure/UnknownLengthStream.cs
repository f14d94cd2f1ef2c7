namespace Worktime.Api.Tests.Infrastructure;

/// <summary>
/// A request body whose length the client cannot know in advance: <c>StreamContent</c> over it sends no
/// <c>Content-Length</c> (a chunked body), so the server's bound has to count while it reads.
/// </summary>
public sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
{
    public override bool CanSeek => false;
}
