using Microsoft.Data.Sqlite;

namespace Lute.Host.Store;

/// <summary>How one write sets one column: the column, and its value taken from what is written.</summary>
/// <typeparam name="T">What is written.</typeparam>
/// <param name="Column">The column.</param>
/// <param name="Value">The column's value (null: SQL NULL).</param>
/// <param name="KeepWhenNull">An update leaves the column as it is when the value is null.</param>
internal sealed record ColumnWrite<T>(RunColumn Column, Func<T, object?> Value, bool KeepWhenNull = false)
{
    /// <summary>The column's assignment in an UPDATE.</summary>
    public string Assignment => KeepWhenNull
        ? $"{Column.Name} = coalesce({Column.Parameter}, {Column.Name})"
        : $"{Column.Name} = {Column.Parameter}";
}

/// <summary>
/// The columns one moment of a run writes: its INSERT or UPDATE statement is generated from them, and they bind
/// their values from what is written, one parameter per column.
/// </summary>
/// <typeparam name="T">What is written.</typeparam>
internal sealed class RowWrite<T>
{
    private readonly IReadOnlyList<ColumnWrite<T>> _columns;

    /// <summary>A write of <paramref name="columns"/>.</summary>
    public RowWrite(params IReadOnlyList<ColumnWrite<T>> columns)
    {
        if (columns.Select(c => c.Column).Distinct().Count() != columns.Count)
        {
            throw new ArgumentException("a column is written twice", nameof(columns));
        }

        _columns = columns;
    }

    /// <summary>The INSERT of a new row, returning its id.</summary>
    public string Insert() =>
        $"INSERT INTO runs ({string.Join(", ", _columns.Select(c => c.Column.Name))}) "
        + $"VALUES ({string.Join(", ", _columns.Select(c => c.Column.Parameter))}) RETURNING {RunColumns.Id.Name};";

    /// <summary>The UPDATE of the row whose id is <c>$id</c>, and that meets <paramref name="condition"/> if given.</summary>
    /// <param name="condition">More of the WHERE clause (SQL, without parameters of its own), or null.</param>
    public string Update(string? condition = null) =>
        $"UPDATE runs SET {string.Join(", ", _columns.Select(c => c.Assignment))} "
        + $"WHERE {RunColumns.Id.Name} = $id{(condition is null ? string.Empty : $" AND {condition}")};";

    /// <summary>Binds the columns' values from <paramref name="value"/>.</summary>
    public void Bind(SqliteCommand command, T value)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var column in _columns)
        {
            command.Parameters.AddWithValue(column.Column.Parameter, column.Value(value) ?? DBNull.Value);
        }
    }
}
