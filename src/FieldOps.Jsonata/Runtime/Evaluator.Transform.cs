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

                    if (match is JMap mm)
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

                        if (match is JMap dm)
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
        });
    }
}
