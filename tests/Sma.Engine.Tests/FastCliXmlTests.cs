using System.Collections;
using System.Management.Automation;
using Sma.Engine.Execution;
using Xunit;

namespace Sma.Engine.Tests;

public class FastCliXmlTests
{
    private static PSObject Custom(params (string Name, object? Value)[] properties)
    {
        var o = new PSObject();
        foreach (var (name, value) in properties)
            o.Properties.Add(new PSNoteProperty(name, value));
        return o;
    }

    public static TheoryData<object?> SameAsPSSerializer => new()
    {
        "plain text & <markup> \"quoted\"",
        "",
        42,
        -7L,
        true,
        1.5,
        double.NaN,
        Guid.Parse("6a1e2a3c-0000-4000-8000-000000000001"),
        new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
        new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Local),
        new object?[] { 1, "two", null, 3.5 },
        new Hashtable { ["a"] = 1, ["b"] = new object[] { "x", "y" }, ["c"] = new Hashtable { ["d"] = true } },
        Custom(("Index", 1), ("Name", "item 1"), ("When", new DateTime(2026, 5, 1)), ("Nothing", null)),
        new Hashtable { ["items"] = new object[] { Custom(("Id", 1)), Custom(("Id", 2)) }, ["more"] = new object[] { new Hashtable() } },
    };

    [Theory]
    [MemberData(nameof(SameAsPSSerializer))]
    public void Reads_back_as_the_same_value_PSSerializer_gives(object? value)
    {
        Assert.True(FastCliXml.TryWrite(value, 4, out var fast));
        var slow = PSSerializer.Serialize(value, 4);
        // Compare what the two documents deserialize to, serialized again the canonical way.
        Assert.Equal(PSSerializer.Serialize(PSSerializer.Deserialize(slow), 4), PSSerializer.Serialize(PSSerializer.Deserialize(fast), 4));
    }

    public static TheoryData<object> LeftToPSSerializer => new()
    {
        "has_underscore",
        "control\u0001char",
        new System.Security.SecureString(),
        new List<int> { 1 },
        new System.Collections.Specialized.OrderedDictionary(),
        Custom(("Nested", Custom(("Deep", 1)))),
        new PSObject(1m),
        PSObject.AsPSObject("with note"),
        Retyped(PSObject.AsPSObject("with a type name")),
        WithScriptProperty(new PSObject(5)),
        WithScriptProperty(Custom(("A", 1))),
        NotedThroughAnotherWrapper(),
    };

    private static PSObject Retyped(PSObject value)
    {
        value.TypeNames.Insert(0, "My.Type");
        return value;
    }

    private static PSObject WithScriptProperty(PSObject value)
    {
        value.Properties.Add(new PSScriptProperty("Twice", ScriptBlock.Create("2")));
        return value;
    }

    // Add-Member on one wrapper of a .NET object is seen by every later wrapper of the same object.
    private static PSObject NotedThroughAnotherWrapper()
    {
        var text = new string('n', 3);
        PSObject.AsPSObject(text).Properties.Add(new PSNoteProperty("Extra", 1));
        return PSObject.AsPSObject(text);
    }

    [Theory]
    [MemberData(nameof(LeftToPSSerializer))]
    public void Leaves_everything_else_to_PSSerializer(object value)
    {
        if (value is PSObject { BaseObject: string } noted)
            noted.Properties.Add(new PSNoteProperty("Extra", 1));
        Assert.False(FastCliXml.TryWrite(value, 4, out _));
    }

    [Fact]
    public void Reads_instance_members_and_type_names_the_way_PowerShell_does()
    {
        // The fallback (public members) is correct too but costs ~30 µs per output object; this PowerShell has the internals.
        Assert.True(PSObjectView.BoundToInternals);
        var bag = Custom(("B", 2), ("A", 1));
        Assert.Equal(new[] { "B", "A" }, PSObjectView.AddedMembers(bag).Select(p => p.Name));
        Assert.Empty(PSObjectView.AddedMembers(PSObject.AsPSObject("plain")));
        Assert.Equal("System.String", PSObjectView.TypeNames(PSObject.AsPSObject("plain"))[0]);
        Assert.True(PSObjectView.IsPlain(PSObject.AsPSObject(42)));
        // ToString caches PowerShell's hidden intrinsic members (pstypenames) on the instance; they are not added members.
        _ = bag.ToString();
        Assert.Equal(new[] { "B", "A" }, PSObjectView.AddedMembers(bag).Select(p => p.Name));
        Assert.True(FastCliXml.TryWrite(bag, 1, out _));
    }

    [Fact]
    public void A_property_bag_beyond_the_depth_is_left_to_PSSerializer()
    {
        Assert.False(FastCliXml.TryWrite(new object[] { Custom(("A", 1)) }, 0, out _));
        Assert.True(FastCliXml.TryWrite(new object[] { Custom(("A", 1)) }, 1, out _));
    }

    [Fact]
    public void Output_text_matches_what_PowerShell_shows()
    {
        Assert.True(FastCliXml.TryWriteOutput(Custom(("Item", 1), ("Square", 1)), 1, out _, out var text));
        Assert.Equal("@{Item=1; Square=1}", text);
        Assert.True(FastCliXml.TryWriteOutput(PSObject.AsPSObject("hello"), 1, out _, out text));
        Assert.Equal("hello", text);
    }
}
