using FieldOps.Jsonata.Parsing;

namespace FieldOps.Jsonata.Runtime;

internal sealed partial class Evaluator
{
    private static NativeFn EvaluateTransform(Node node, Frame env)
    {
        return new NativeFn("transform", Signature.Parse("<(oa):o>"), (ev, args, _) =>
        {
            var obj = args.Count > 0 ? args[0] : null;
            if (obj is null)
            {
                return null;
            }

            var cloneFn = ev.LookupVariable("clone", null, env);
            if (cloneFn is not JFunction clone)
            {
                throw Errors.Create("T2013", node.Position);
            }

            var result = ev.Apply(clone, [obj], null);
            if (!ReferenceEquals(clone, Builtins.Table.GetValueOrDefault("clone")))
            {
                result = Builtins.DeepClone(result); // a $clone of the expression's own may hand back what it was given
            }

            // Only the objects of this copy are updated: a pattern may reach beyond it ($$, a bound lookup table, a
            // variable), and those values are shared — by the event's other expressions and, for bindings, by every
            // thread mapping with the same file (issue 15). Changing them would also not show in the result.
            HashSet<JMap>? own = null;
            var matches = ev.Evaluate(node.Expr!, result, env);
            if (matches is null)
            {
                return result;
            }

            var ml = matches as JList ?? [matches];
            foreach (var match in ml)
            {
                var update = ev.Evaluate(node.Update!, match, env);
                if (update is not null)
                {
                    if (update is not JMap um)
                    {
                        throw Errors.Create("T2011", node.Update!.Position, value: update);
                    }

                    if (match is JMap mm && Owns(mm))
                    {
                        foreach (var kv in um)
                        {
                            mm[kv.Key] = kv.Value;
                        }
                    }
                }

                if (node.Delete is not null)
                {
                    var deletions = ev.Evaluate(node.Delete, match, env);
                    if (deletions is not null)
                    {
                        var dl = deletions as JList ?? [deletions];
                        if (!dl.TrueForAll(d => d is string))
                        {
                            throw Errors.Create("T2012", node.Delete.Position, value: deletions);
                        }

                        if (match is JMap dm && Owns(dm))
                        {
                            foreach (var d in dl.Cast<string>())
                            {
                                dm.Remove(d);
                            }
                        }
                    }
                }
            }

            return result;

            bool Owns(JMap map)
            {
                if (own is null)
                {
                    own = new HashSet<JMap>(ReferenceEqualityComparer.Instance);
                    Collect(result, own);
                }

                return own.Contains(map);
            }
        });
    }

    private static void Collect(object? value, HashSet<JMap> maps)
    {
        switch (value)
        {
            case JMap map when maps.Add(map):
                foreach (var item in map.Values)
                {
                    Collect(item, maps);
                }

                break;
            case JList list:
                foreach (var item in list)
                {
                    Collect(item, maps);
                }

                break;
        }
    }
}
