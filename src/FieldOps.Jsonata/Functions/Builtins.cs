using System.Collections.Frozen;

namespace FieldOps.Jsonata.Runtime;

/// <summary>The built-in function library and the value helpers it shares with the evaluator.</summary>
internal static partial class Builtins
{
    public static readonly FrozenDictionary<string, NativeFn> Table = CreateTable();

    private static FrozenDictionary<string, NativeFn> CreateTable()
    {
        var t = new Dictionary<string, NativeFn>(StringComparer.Ordinal);
        void Add(string name, string sig, NativeImpl impl) => t[name] = new NativeFn(name, Signature.Parse(sig), impl);
        RegisterAggregation(Add);
        RegisterString(Add);
        RegisterNumeric(Add);
        RegisterBoolean(Add);
        RegisterArray(Add);
        RegisterObject(Add);
        RegisterHigherOrder(Add);
        RegisterDate(Add);
        RegisterFormat(Add);
        return t.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static object? Arg(IReadOnlyList<object?> args, int i) => i < args.Count ? args[i] : null;

    /// <summary>JSONata's effective boolean value; <c>null</c> when undefined.</summary>
    public static bool? ToBoolean(object? v)
    {
        switch (v)
        {
            case null:
                return null;
            case JList l:
                if (l.Count == 1)
                {
                    return ToBoolean(l[0]);
                }

                foreach (var item in l)
                {
                    if (ToBoolean(item) == true)
                    {
                        return true;
                    }
                }

                return false;
            case string s:
                return s.Length > 0;
            case bool b:
                return b;
            case double d:
                return d != 0 && !double.IsNaN(d);
            case decimal m:
                return m != 0;
            case JMap o:
                return o.Count > 0;
            default:
                return false;
        }
    }

    public static bool DeepEquals(object? a, object? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        switch (a)
        {
            case null:
                return b is null;
            case string s:
                return b is string t && s == t;
            case bool x:
                return b is bool y && x == y;
            case double or decimal:
                return Num.IsNumber(b) && Num.NumEquals(a, b!);
            case JNull:
                return b is JNull;
            case JList la:
                if (b is not JList lb || la.Count != lb.Count)
                {
                    return false;
                }

                for (var i = 0; i < la.Count; i++)
                {
                    if (!DeepEquals(la[i], lb[i]))
                    {
                        return false;
                    }
                }

                return true;
            case JMap ma:
                if (b is not JMap mb || ma.Count != mb.Count)
                {
                    return false;
                }

                foreach (var kv in ma)
                {
                    if (!mb.TryGetValue(kv.Key, out var bv) || !DeepEquals(kv.Value, bv))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    public static bool StrictEquals(object a, object b) => a switch
    {
        string s => b is string t && s == t,
        bool x => b is bool y && x == y,
        double or decimal => Num.IsNumber(b) && Num.NumEquals(a, b),
        JNull => b is JNull,
        _ => ReferenceEquals(a, b),
    };

    /// <summary>String conversion used by <c>&amp;</c> and <c>$string</c>.</summary>
    public static string StringOf(object? v, bool prettify = false)
    {
        switch (v)
        {
            case null:
                return string.Empty;
            case string s:
                return s;
            case JFunction:
                return string.Empty;
            case double or decimal:
                if (!Num.IsFinite(v))
                {
                    throw Errors.Create("D3001", value: v);
                }

                return Num.FormatPrecision15(v);
            default:
                return Json.Serialize(v, prettify, precision15: true);
        }
    }

    public static object? Append(object? a, object? b)
    {
        if (a is null)
        {
            return b;
        }

        if (b is null)
        {
            return a;
        }

        var result = new JList();
        if (a is JList la)
        {
            result.AddRange(la);
            result.IsSequence = la.IsSequence;
        }
        else
        {
            result.Add(a);
            result.IsSequence = true;
        }

        if (b is JList lb)
        {
            result.AddRange(lb);
        }
        else
        {
            result.Add(b);
        }

        return result;
    }

    public static void FlattenInto(JList arr, JList into)
    {
        foreach (var item in arr)
        {
            if (item is JList l)
            {
                FlattenInto(l, into);
            }
            else
            {
                into.Add(item);
            }
        }
    }

    /// <summary>Stable merge sort of indices.</summary>
    public static void StableSort(int[] items, Comparison<int> cmp)
    {
        if (items.Length < 2)
        {
            return;
        }

        var tmp = new int[items.Length];
        MergeSort(items, tmp, 0, items.Length, cmp);
    }

    private static void MergeSort(int[] a, int[] tmp, int lo, int hi, Comparison<int> cmp)
    {
        if (hi - lo < 2)
        {
            return;
        }

        var mid = (lo + hi) / 2;
        MergeSort(a, tmp, lo, mid, cmp);
        MergeSort(a, tmp, mid, hi, cmp);
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi)
        {
            tmp[k++] = cmp(a[j], a[i]) < 0 ? a[j++] : a[i++];
        }

        while (i < mid)
        {
            tmp[k++] = a[i++];
        }

        while (j < hi)
        {
            tmp[k++] = a[j++];
        }

        Array.Copy(tmp, lo, a, lo, hi - lo);
    }

    public static object? DeepClone(object? v) => v switch
    {
        JList l => CloneList(l),
        JMap m => CloneMap(m),
        _ => v,
    };

    private static JList CloneList(JList l)
    {
        var r = new JList(l.Count);
        foreach (var item in l)
        {
            r.Add(DeepClone(item));
        }

        return r;
    }

    private static JMap CloneMap(JMap m)
    {
        var r = new JMap(m.Count);
        foreach (var kv in m)
        {
            r[kv.Key] = DeepClone(kv.Value);
        }

        return r;
    }
}
