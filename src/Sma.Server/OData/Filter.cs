using Sma.Engine;

namespace Sma.Server.OData;

/// <summary>The operators of a $filter expression.</summary>
internal enum FilterOp
{
    Eq, Ne, Gt, Ge, Lt, Le, And, Or,
}

/// <summary>A node of a parsed $filter: never text, so nothing of it ever reaches a query as text.</summary>
internal abstract record FilterNode;

internal sealed record LiteralNode(object? Value) : FilterNode;

internal sealed record PropertyNode(PropertyDefinition Property) : FilterNode;

internal sealed record BinaryNode(FilterOp Op, FilterNode Left, FilterNode Right) : FilterNode;

internal sealed record NotNode(FilterNode Operand) : FilterNode;

/// <summary>substringof, startswith, endswith, tolower, toupper, length, trim.</summary>
internal sealed record CallNode(string Function, IReadOnlyList<FilterNode> Arguments) : FilterNode;

/// <summary>
/// Parses OData v3 $filter text into a tree, against the properties of one entity set: eq ne gt ge lt le, and or not,
/// parentheses, literals (guid'…', datetime'…', 'text', integers, true, false, null) and a few string functions.
/// Unknown properties and operands of the wrong type are errors naming them.
/// </summary>
internal sealed class FilterParser
{
    private const int MaxLength = 4096;
    private const int MaxDepth = 64;
    private static readonly Dictionary<string, FilterOp> Comparisons = new(StringComparer.Ordinal)
    {
        ["eq"] = FilterOp.Eq, ["ne"] = FilterOp.Ne, ["gt"] = FilterOp.Gt, ["ge"] = FilterOp.Ge, ["lt"] = FilterOp.Lt, ["le"] = FilterOp.Le,
    };
    private static readonly Dictionary<string, int> Functions = new(StringComparer.Ordinal)
    {
        ["substringof"] = 2, ["startswith"] = 2, ["endswith"] = 2, ["tolower"] = 1, ["toupper"] = 1, ["length"] = 1, ["trim"] = 1,
    };

    private readonly EntitySetDefinition _set;
    private readonly string _text;
    private int _position;
    private int _depth;

    private FilterParser(EntitySetDefinition set, string text)
    {
        _set = set;
        _text = text;
    }

    public static FilterNode Parse(EntitySetDefinition set, string text)
    {
        if (text.Length > MaxLength)
            throw SmaErrors.WebInvalidFilter(text[..40] + "...", MaxLength, $"it is longer than {MaxLength} characters");
        var parser = new FilterParser(set, text);
        var node = parser.ParseOr();
        parser.SkipSpace();
        if (parser._position < text.Length)
            throw parser.Error($"'{parser.Rest()}' was not expected here");
        parser.CheckBoolean(node, "The whole $filter");
        return node;
    }

    private FilterNode ParseOr()
    {
        var left = ParseAnd();
        while (TakeWord("or"))
        {
            var right = ParseAnd();
            CheckBoolean(left, "The left side of 'or'");
            CheckBoolean(right, "The right side of 'or'");
            left = new BinaryNode(FilterOp.Or, left, right);
        }
        return left;
    }

    private FilterNode ParseAnd()
    {
        var left = ParseNot();
        while (TakeWord("and"))
        {
            var right = ParseNot();
            CheckBoolean(left, "The left side of 'and'");
            CheckBoolean(right, "The right side of 'and'");
            left = new BinaryNode(FilterOp.And, left, right);
        }
        return left;
    }

    private FilterNode ParseNot()
    {
        if (!TakeWord("not"))
            return ParseComparison();
        Enter();
        var operand = ParseNot();
        _depth--;
        CheckBoolean(operand, "The operand of 'not'");
        return new NotNode(operand);
    }

    private FilterNode ParseComparison()
    {
        var left = ParsePrimary();
        SkipSpace();
        var start = _position;
        var word = ReadIdentifier();
        if (word is null || !Comparisons.TryGetValue(word, out var op))
        {
            _position = start;
            return left;
        }
        var right = ParsePrimary();
        CheckComparable(op, left, right);
        return new BinaryNode(op, left, right);
    }

    private FilterNode ParsePrimary()
    {
        SkipSpace();
        if (_position >= _text.Length)
            throw Error("the expression ends where a value or property was expected");
        if (_text[_position] == '(')
        {
            _position++;
            Enter();
            var inner = ParseOr();
            _depth--;
            SkipSpace();
            if (_position >= _text.Length || _text[_position] != ')')
                throw Error("a closing parenthesis ')' is missing");
            _position++;
            return inner;
        }
        var start = _position;
        if (Literals.TryRead(_text, ref _position, out var value))
        {
            // A literal must end where a token ends (guid'x'abc is not a literal).
            if (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '\''))
                throw Error($"'{_text[start.._position]}' is followed by '{_text[_position]}'", start);
            return new LiteralNode(value);
        }
        _position = start;
        var name = ReadIdentifier() ?? throw Error($"'{Rest()}' is not a property, a value or a parenthesis");
        SkipSpace();
        if (_position < _text.Length && _text[_position] == '(')
        {
            if (!Functions.TryGetValue(name, out var arity))
                throw Error($"'{name}' is not a function this service knows (it knows {string.Join(", ", Functions.Keys)})", start);
            _position++;
            Enter();
            var arguments = new List<FilterNode>();
            while (true)
            {
                arguments.Add(ParseOr());
                SkipSpace();
                if (_position < _text.Length && _text[_position] == ',')
                {
                    _position++;
                    continue;
                }
                if (_position < _text.Length && _text[_position] == ')')
                {
                    _position++;
                    break;
                }
                throw Error($"the arguments of {name}() are not closed with ')'");
            }
            _depth--;
            if (arguments.Count != arity)
                throw Error($"{name}() takes {arity} argument{(arity == 1 ? "" : "s")}", start);
            foreach (var argument in arguments)
            {
                if (TypeOf(argument) is { } type && type != EdmType.String)
                    throw Error($"{name}() takes text, not {Literals.EdmName(type)}", start);
            }
            return new CallNode(name, arguments);
        }
        var property = _set.FindProperty(name) ?? throw SmaErrors.WebUnknownProperty(_set.Name, name, _set.Properties.Select(p => p.Name));
        return new PropertyNode(property);
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
            throw Error($"it nests deeper than {MaxDepth} levels");
    }

    /// <summary>The type of a node when it is known: a property's, a literal's, a function's result.</summary>
    private static EdmType? TypeOf(FilterNode node) => node switch
    {
        PropertyNode p => p.Property.Type,
        LiteralNode { Value: Guid } => EdmType.Guid,
        LiteralNode { Value: DateTime } => EdmType.DateTime,
        LiteralNode { Value: string } => EdmType.String,
        LiteralNode { Value: bool } => EdmType.Boolean,
        LiteralNode { Value: int } => EdmType.Int32,
        LiteralNode { Value: long } => EdmType.Int64,
        CallNode { Function: "substringof" or "startswith" or "endswith" } => EdmType.Boolean,
        CallNode { Function: "length" } => EdmType.Int32,
        CallNode => EdmType.String,
        BinaryNode or NotNode => EdmType.Boolean,
        _ => null, // null literal
    };

    private static bool IsNumber(EdmType type) => type is EdmType.Int16 or EdmType.Int32 or EdmType.Int64;

    private void CheckComparable(FilterOp op, FilterNode left, FilterNode right)
    {
        var (l, r) = (TypeOf(left), TypeOf(right));
        if (l is null || r is null)
        {
            if (op is not (FilterOp.Eq or FilterOp.Ne))
                throw Error("null can only be compared with eq or ne");
            return;
        }
        if (l == r || IsNumber(l.Value) && IsNumber(r.Value))
        {
            if (l == EdmType.Boolean && op is not (FilterOp.Eq or FilterOp.Ne))
                throw Error("true and false can only be compared with eq or ne");
            return;
        }
        var property = (left as PropertyNode ?? right as PropertyNode)?.Property;
        var what = property is null ? $"a {Literals.EdmName(l.Value)} value" : $"{property.Name} ({Literals.EdmName(property.Type)})";
        var other = property is not null && ReferenceEquals(property, (left as PropertyNode)?.Property) ? r.Value : l.Value;
        throw Error($"{what} cannot be compared with a {Literals.EdmName(other)} value; write {Example(property?.Type ?? l.Value)}");
    }

    private static string Example(EdmType type) => type switch
    {
        EdmType.Guid => "guid'00000000-0000-0000-0000-000000000000'",
        EdmType.DateTime => "datetime'2014-05-30T09:12:04'",
        EdmType.String => "'text' (in single quotes)",
        EdmType.Boolean => "true or false",
        _ => "a whole number",
    };

    private void CheckBoolean(FilterNode node, string what)
    {
        if (TypeOf(node) is { } type && type != EdmType.Boolean)
            throw Error($"{what} is {Literals.EdmName(type)}, not a condition (compare it with eq, ne, gt, ge, lt or le)");
    }

    private bool TakeWord(string word)
    {
        SkipSpace();
        var start = _position;
        if (ReadIdentifier() == word)
            return true;
        _position = start;
        return false;
    }

    private string? ReadIdentifier()
    {
        var start = _position;
        if (_position >= _text.Length || !(char.IsAsciiLetter(_text[_position]) || _text[_position] == '_'))
            return null;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] == '_'))
            _position++;
        return _text[start.._position];
    }

    private void SkipSpace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
            _position++;
    }

    private string Rest() => _text[_position..] is { Length: > 30 } rest ? rest[..30] + "..." : _text[_position..];

    private SmaException Error(string why, int? at = null) => SmaErrors.WebInvalidFilter(_text, (at ?? _position) + 1, why);
}
