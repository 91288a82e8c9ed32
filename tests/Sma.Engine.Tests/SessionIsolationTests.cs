using Sma.Engine.Model;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>$env:SMA_ISOLATION's values (parsed without touching the process's environment, which other tests share).</summary>
public sealed class SessionIsolationTests
{
    [Theory]
    [InlineData("Thread", JobIsolation.Thread)]
    [InlineData("process", JobIsolation.Process)]
    [InlineData(" PROCESS ", JobIsolation.Process)]
    public void Names_in_any_case_are_accepted(string text, JobIsolation expected) => Assert.Equal(expected, SessionIsolation.Parse(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void An_empty_value_means_not_set(string? text) => Assert.Null(SessionIsolation.Parse(text));

    [Theory]
    [InlineData("Fiber")]
    [InlineData("1")]
    [InlineData("Thread,Process")]
    public void Anything_else_is_InvalidIsolation_naming_the_value(string text)
    {
        var error = Assert.Throws<SmaException>(() => SessionIsolation.Parse(text));
        Assert.Equal("InvalidIsolation", error.ErrorId);
        Assert.Contains($"'{text}'", error.Message);
    }
}
