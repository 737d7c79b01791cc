using System.Text;

namespace CloudCredentials.Processes;

/// <summary>
/// Splits a credential command (an Alibaba External profile's <c>process_command</c>, an AWS <c>credential_process</c>) into an argument vector without running a shell.
/// </summary>
/// <remarks>
/// <para>Unix (POSIX shell word rules, no expansion): whitespace separates words; single quotes keep everything
/// literally; a backslash outside quotes escapes the next character; inside double quotes a backslash escapes only
/// <c>"</c>, <c>\</c>, <c>$</c> and <c>`</c> and is literal otherwise; backslash-newline is a line continuation and
/// disappears. Quoted empty strings (<c>""</c>, <c>''</c>) are kept as empty arguments.</para>
/// <para>Windows: a backslash is literal (paths keep their separators), except <c>\"</c> inside double quotes, which
/// is a literal quote. Single and double quotes group words, as in the reference implementation.</para>
/// </remarks>
internal static class CommandLineSplitter
{
    /// <summary>Splits <paramref name="command"/> into arguments.</summary>
    /// <param name="command">The command line.</param>
    /// <param name="windows">Use the Windows rules instead of the POSIX ones.</param>
    /// <returns>The arguments; empty when the command is blank.</returns>
    /// <exception cref="FormatException">A quote is not closed, or the command ends with an escaping backslash (Unix).
    /// The message never quotes the command, which may hold secrets.</exception>
    public static IReadOnlyList<string> Split(string command, bool windows)
    {
        ArgumentNullException.ThrowIfNull(command);

        var args = new List<string>();
        var current = new StringBuilder();
        bool inWord = false;
        char quote = '\0';

        for (int i = 0; i < command.Length; i++)
        {
            char c = command[i];

            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = '\0';
                }
                else
                {
                    current.Append(c);
                }

                continue;
            }

            if (quote == '"')
            {
                if (c == '"')
                {
                    quote = '\0';
                }
                else if (c == '\\' && i + 1 < command.Length)
                {
                    char next = command[i + 1];
                    if (windows)
                    {
                        if (next == '"')
                        {
                            current.Append('"');
                            i++;
                        }
                        else
                        {
                            current.Append(c);
                        }
                    }
                    else if (next is '"' or '\\' or '$' or '`')
                    {
                        current.Append(next);
                        i++;
                    }
                    else if (IsNewlineAt(command, i + 1, out int newlineLength))
                    {
                        i += newlineLength;
                    }
                    else
                    {
                        current.Append(c);
                    }
                }
                else
                {
                    current.Append(c);
                }

                continue;
            }

            // Outside quotes.
            if (c == '\\' && !windows)
            {
                if (i + 1 >= command.Length)
                {
                    throw new FormatException("the command ends with a backslash that escapes nothing; remove it or quote it");
                }

                if (IsNewlineAt(command, i + 1, out int newlineLength))
                {
                    // Line continuation: the backslash and the newline vanish and do not end the word.
                    i += newlineLength;
                    continue;
                }

                current.Append(command[i + 1]);
                inWord = true;
                i++;
                continue;
            }

            if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }

                continue;
            }

            current.Append(c);
            inWord = true;
        }

        if (quote != '\0')
        {
            string kind = quote == '"' ? "double" : "single";
            throw new FormatException($"the command has an unclosed {kind} quote; close it or escape it");
        }

        if (inWord)
        {
            args.Add(current.ToString());
        }

        return args;
    }

    private static bool IsNewlineAt(string text, int index, out int length)
    {
        if (text[index] == '\n')
        {
            length = 1;
            return true;
        }

        if (text[index] == '\r')
        {
            length = index + 1 < text.Length && text[index + 1] == '\n' ? 2 : 1;
            return true;
        }

        length = 0;
        return false;
    }
}
