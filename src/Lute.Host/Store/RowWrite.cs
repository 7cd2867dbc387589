using System.Data.Common;

namespace Lute.Host.Store;

/// <summary>How one write sets one column: the column, and its value taken from what is written.</summary>
/// <typeparam name="T">What is written.</typeparam>
/// <param name="Column">The column.</param>
/// <param name="Value">The column's value (null: SQL NULL).</param>
/// <param name="KeepWhenNull">An update leaves the column as it is when the value is null.</param>
internal sealed record ColumnWrite<T>(RunColumn Column, Func<T, object?> Value, bool KeepWhenNull = false)
{
    /// <summary>The column's assignment in an UPDATE, with parameters named after <paramref name="prefix"/>.</summary>
    public string Assignment(char prefix) => KeepWhenNull
        ? $"{Column.Name} = coalesce({prefix}{Column.Name}, {Column.Name})"
        : $"{Column.Name} = {prefix}{Column.Name}";
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

    /// <summary>The INSERT of a new row, returning its id; parameters named with <paramref name="prefix"/> (<c>$</c> SQLite, <c>@</c> PostgreSQL).</summary>
    public string Insert(char prefix = '$') =>
        $"INSERT INTO runs ({string.Join(", ", _columns.Select(c => c.Column.Name))}) "
        + $"VALUES ({string.Join(", ", _columns.Select(c => prefix + c.Column.Name))}) RETURNING {RunColumns.Id.Name};";

    /// <summary>The UPDATE of the row whose id is the parameter <c>id</c>, and that meets <paramref name="condition"/> if given.</summary>
    /// <param name="condition">More of the WHERE clause (SQL, without parameters of its own), or null.</param>
    /// <param name="prefix">How parameters are named in the store's SQL.</param>
    public string Update(string? condition = null, char prefix = '$') =>
        $"UPDATE runs SET {string.Join(", ", _columns.Select(c => c.Assignment(prefix)))} "
        + $"WHERE {RunColumns.Id.Name} = {prefix}id{(condition is null ? string.Empty : $" AND {condition}")};";

    /// <summary>Binds the columns' values from <paramref name="value"/>, as parameters named <paramref name="prefix"/> and the column.</summary>
    public void Bind(DbCommand command, T value, char prefix = '$')
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var column in _columns)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = prefix + column.Column.Name;
            parameter.Value = column.Value(value) ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }
}
