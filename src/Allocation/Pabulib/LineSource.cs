namespace PBServices.Allocation.Pabulib;

/// <summary>
/// The lines of a text, as <see cref="TextReader.ReadLine"/> splits them (at "\n", "\r" or "\r\n"), but as spans
/// of one reused buffer rather than a string per line: a file of a million ballots is read without a million strings.
/// </summary>
internal sealed class LineSource(TextReader reader)
{
    // Stream and string readers fill a span of the buffer cheaply; any other reader (one that builds its text line by
    // line) is asked for lines, each copied into the buffer.
    private readonly bool _chunked = reader is StreamReader or StringReader;
    private char[] _buffer = new char[1 << 14];
    private int _position, _end;
    private bool _endOfText;

    /// <summary>The buffer that holds the current line at [<see cref="Start"/>, <see cref="Start"/> + <see cref="Length"/>); valid until the next <see cref="Next"/>.</summary>
    public char[] Buffer => _buffer;

    public int Start { get; private set; }

    public int Length { get; private set; }

    public bool Next()
    {
        return _chunked ? NextChunked() : NextLine();
    }

    private bool NextLine()
    {
        if (reader.ReadLine() is not { } line)
        {
            return false;
        }
        if (line.Length > _buffer.Length)
        {
            _buffer = new char[Math.Max(line.Length, _buffer.Length * 2)];
        }
        line.CopyTo(_buffer);
        Start = 0;
        Length = line.Length;
        return true;
    }

    private bool NextChunked()
    {
        while (true)
        {
            var rest = _buffer.AsSpan(_position, _end - _position);
            var i = rest.IndexOfAny('\r', '\n');
            // A '\r' last in the buffer may be the first half of "\r\n": decide once the next character is in.
            if (i >= 0 && (rest[i] == '\n' || i + 1 < rest.Length || _endOfText))
            {
                Start = _position;
                Length = i;
                _position += i + 1;
                if (rest[i] == '\r' && i + 1 < rest.Length && rest[i + 1] == '\n')
                {
                    _position++;
                }
                return true;
            }
            if (_endOfText)
            {
                if (rest.IsEmpty)
                {
                    return false;
                }
                Start = _position;
                Length = rest.Length;
                _position = _end;
                return true;
            }
            Fill();
        }
    }

    private void Fill()
    {
        var kept = _end - _position;
        if (kept == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        else if (_position > 0)
        {
            Array.Copy(_buffer, _position, _buffer, 0, kept);
        }
        _position = 0;
        _end = kept;
        var read = reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _endOfText = true;
        }
        _end += read;
    }
}
