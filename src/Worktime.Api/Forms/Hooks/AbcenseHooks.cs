namespace Worktime.Api.Forms.Hooks;

/// <summary>An absence cannot end before it starts.</summary>
internal sealed class AbcenseHooks : FormHooks
{
    public override string FormName => "abcense";

    public override void Complete(FormWrite write, Dictionary<string, string> errors)
    {
        if (write.Row.GetValueOrDefault("startdate") is string start && write.Row.GetValueOrDefault("enddate") is string end
            && string.CompareOrdinal(end, start) < 0)
        {
            errors["enddate"] = "is before startdate";
        }
    }
}
