using System.Buffers;

namespace CloudCredentials.Signing;

/// <summary>
/// A growable character buffer rented from <see cref="ArrayPool{T}"/>: the canonical request and the string to sign are
/// written here and hashed without becoming strings. Dispose returns the array.
/// </summary>
internal ref struct TextBuffer
{
    private char[] _array;
    private int _length;

    public TextBuffer(int capacity)
    {
        _array = ArrayPool<char>.Shared.Rent(capacity);
        _length = 0;
    }

    public readonly int Length => _length;

    public readonly ReadOnlySpan<char> Span => _array.AsSpan(0, _length);

    public void Append(char c)
    {
        if (_length == _array.Length)
        {
            Grow(1);
        }

        _array[_length++] = c;
    }

    public void Append(scoped ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _array.Length)
        {
            Grow(text.Length);
        }

        text.CopyTo(_array.AsSpan(_length));
        _length += text.Length;
    }

    /// <summary>Appends ASCII-lower-cased text (header names are ASCII tokens).</summary>
    public void AppendLower(scoped ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _array.Length)
        {
            Grow(text.Length);
        }

        Span<char> target = _array.AsSpan(_length, text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            target[i] = char.IsAsciiLetterUpper(text[i]) ? (char)(text[i] | 0x20) : text[i];
        }

        _length += text.Length;
    }

    /// <summary>Returns a span of <paramref name="count"/> characters at the end to write into, and counts them as written.</summary>
    public Span<char> AppendSpan(int count)
    {
        if (_length + count > _array.Length)
        {
            Grow(count);
        }

        Span<char> span = _array.AsSpan(_length, count);
        _length += count;
        return span;
    }

    /// <summary>Drops everything after the first <paramref name="length"/> characters.</summary>
    public void Truncate(int length) => _length = Math.Min(length, _length);

    public override readonly string ToString() => new(_array, 0, _length);

    public void Dispose()
    {
        char[] array = _array;
        _array = [];
        _length = 0;
        if (array.Length > 0)
        {
            ArrayPool<char>.Shared.Return(array);
        }
    }

    private void Grow(int additional)
    {
        char[] bigger = ArrayPool<char>.Shared.Rent(Math.Max(_array.Length * 2, _length + additional));
        _array.AsSpan(0, _length).CopyTo(bigger);
        if (_array.Length > 0)
        {
            ArrayPool<char>.Shared.Return(_array);
        }

        _array = bigger;
    }
}
