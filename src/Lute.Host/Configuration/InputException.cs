using Lute.Contracts;

namespace Lute.Host.Configuration;

/// <summary>The user asked for something that cannot be done as asked (a missing file, an unknown run or executor).</summary>
public sealed class InputException(string message, Exception? innerException = null)
    : LuteException(message, innerException);
