namespace Worktime.Api.Tests.Cli;

/// <summary>
/// Tests that must not share the process with others: CLI tests redirect the process-global Console, and
/// load tests need the CPU to themselves to measure anything. xunit runs this
/// collection alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial: console and timing";
}
