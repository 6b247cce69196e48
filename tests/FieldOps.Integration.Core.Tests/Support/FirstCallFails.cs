using System.Reflection;
using System.Runtime.ExceptionServices;

namespace FieldOps.Integration.Core.Tests.Support;

/// <summary>
/// A real service of interface <typeparamref name="T"/> whose first call of one method throws a given exception; every
/// other call goes through. For a loop's test: what it does when a call fails with a fault that is no outage.
/// </summary>
#pragma warning disable CA1852 // DispatchProxy derives a proxy type from it.
internal class FirstCallFails<T> : DispatchProxy where T : class
#pragma warning restore CA1852
{
    private T _inner = null!;
    private string _method = "";
    private Exception _fault = null!;
    private int _failures = 1;
    private int _calls;

    /// <summary>How many times the method was called (the failed call included).</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary><paramref name="inner"/>, whose first <paramref name="failures"/> calls of <paramref name="method"/> throw <paramref name="fault"/>.</summary>
    public static (T Service, FirstCallFails<T> Probe) Wrap(T inner, string method, Exception fault, int failures = 1)
    {
        var service = Create<T, FirstCallFails<T>>();
        var probe = (FirstCallFails<T>)(object)service;
        (probe._inner, probe._method, probe._fault, probe._failures) = (inner, method, fault, failures);
        return (service, probe);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == _method && Interlocked.Increment(ref _calls) <= _failures)
            throw _fault;
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is { } inner)
        {
            ExceptionDispatchInfo.Throw(inner);
            throw;
        }
    }
}
