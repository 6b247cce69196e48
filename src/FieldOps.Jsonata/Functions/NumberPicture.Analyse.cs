namespace FieldOps.Jsonata.Runtime;

internal static partial class NumberPicture
{
    private enum Kind
    {
        Passive,
        Mandatory,
        Optional,
        Decimal,
        Group,
        Exponent,
    }

    private static Sub Analyse(string pic, Props p)
    {
        var elems = SplitElements(pic);
        var kinds = new Kind[elems.Count];
        for (var i = 0; i < elems.Count; i++)
        {
            var e = elems[i];
            var cp = char.ConvertToUtf32(e, 0);
            kinds[i] = cp >= p.Zero && cp <= p.Zero + 9 ? Kind.Mandatory
                : e == p.Digit ? Kind.Optional
                : e == p.DecimalSep ? Kind.Decimal
                : e == p.GroupSep ? Kind.Group
                : Kind.Passive;
        }

        int first = -1, last = -1;
        for (var i = 0; i < kinds.Length; i++)
        {
            if (kinds[i] != Kind.Passive)
            {
                if (first < 0)
                {
                    first = i;
                }

                last = i;
            }
        }

        var sub = new Sub();
        var percents = CountOf(pic, p.Percent);
        var permilles = CountOf(pic, p.PerMille);
        if (first < 0)
        {
            throw Errors.Create("D3086");
        }

        if (percents > 1)
        {
            throw Errors.Create("D3082");
        }

        if (permilles > 1)
        {
            throw Errors.Create("D3083");
        }

        if (percents > 0 && permilles > 0)
        {
            throw Errors.Create("D3084");
        }

        sub.Percent = percents > 0;
        sub.PerMille = permilles > 0;
        sub.Prefix = string.Concat(elems.Take(first));
        sub.Suffix = string.Concat(elems.Skip(last + 1));

        // locate exponent separator inside the active range (must be followed by digits)
        var expIndex = -1;
        for (var i = first + 1; i <= last; i++)
        {
            if (kinds[i] == Kind.Passive && elems[i] == p.ExpSep)
            {
                expIndex = i;
                kinds[i] = Kind.Exponent;
                break;
            }
        }

        var mantEnd = expIndex < 0 ? last : expIndex - 1;
        for (var i = first; i <= mantEnd; i++)
        {
            if (kinds[i] == Kind.Passive)
            {
                throw Errors.Create("D3086");
            }
        }

        var decimals = 0;
        var decimalIndex = -1;
        var mantissaDigits = 0;
        for (var i = first; i <= mantEnd; i++)
        {
            if (kinds[i] == Kind.Decimal)
            {
                decimals++;
                decimalIndex = i;
            }
            else if (kinds[i] is Kind.Mandatory or Kind.Optional)
            {
                mantissaDigits++;
            }
        }

        if (decimals > 1)
        {
            throw Errors.Create("D3081");
        }

        if (mantissaDigits == 0)
        {
            throw Errors.Create("D3085");
        }

        for (var i = first; i <= mantEnd; i++)
        {
            if (kinds[i] == Kind.Group)
            {
                if ((i > first && kinds[i - 1] == Kind.Decimal) || (i < mantEnd && kinds[i + 1] == Kind.Decimal))
                {
                    throw Errors.Create("D3087");
                }

                if (i < mantEnd && kinds[i + 1] == Kind.Group)
                {
                    throw Errors.Create("D3089");
                }
            }
        }

        var intEnd = decimalIndex < 0 ? mantEnd : decimalIndex - 1;
        if (intEnd >= first && kinds[intEnd] == Kind.Group)
        {
            throw Errors.Create("D3088");
        }

        var seenMandatory = false;
        var hasOptionalInt = false;
        var digitsRight = 0;
        for (var i = intEnd; i >= first; i--)
        {
            switch (kinds[i])
            {
                case Kind.Mandatory:
                    sub.MinInt++;
                    digitsRight++;
                    break;
                case Kind.Optional:
                    hasOptionalInt = true;
                    digitsRight++;
                    break;
                case Kind.Group:
                    sub.IntGroups.Add(digitsRight);
                    break;
            }
        }

        for (var i = first; i <= intEnd; i++)
        {
            if (kinds[i] == Kind.Mandatory)
            {
                seenMandatory = true;
            }
            else if (kinds[i] == Kind.Optional && seenMandatory)
            {
                throw Errors.Create("D3090");
            }
        }

        if (decimalIndex >= 0)
        {
            var seenOptional = false;
            var digitsLeft = 0;
            for (var i = decimalIndex + 1; i <= mantEnd; i++)
            {
                switch (kinds[i])
                {
                    case Kind.Mandatory:
                        if (seenOptional)
                        {
                            throw Errors.Create("D3091");
                        }

                        sub.MinFrac++;
                        sub.MaxFrac++;
                        digitsLeft++;
                        break;
                    case Kind.Optional:
                        seenOptional = true;
                        sub.MaxFrac++;
                        digitsLeft++;
                        break;
                    case Kind.Group:
                        sub.FracGroups.Add(digitsLeft);
                        break;
                }
            }
        }

        if (sub.IntGroups.Count > 0)
        {
            sub.GroupSize = sub.IntGroups[0];
            sub.Regular = sub.GroupSize > 0;
            for (var k = 0; sub.Regular && k < sub.IntGroups.Count; k++)
            {
                sub.Regular = sub.IntGroups.Contains(sub.GroupSize * (k + 1));
            }
        }

        if (expIndex >= 0)
        {
            if (sub.Percent || sub.PerMille)
            {
                throw Errors.Create("D3092");
            }

            for (var i = expIndex + 1; i <= last; i++)
            {
                if (kinds[i] != Kind.Mandatory)
                {
                    throw Errors.Create("D3093");
                }

                sub.MinExp++;
            }

            sub.HasExponent = true;
        }

        sub.ScalingFactor = sub.MinInt;
        if (sub.MinInt == 0 && sub.MaxFrac == 0)
        {
            if (sub.HasExponent)
            {
                sub.MinFrac = 1;
                sub.MaxFrac = 1;
            }
            else
            {
                sub.MinInt = 1;
            }
        }

        if (sub.HasExponent && sub.MinInt == 0 && hasOptionalInt)
        {
            sub.MinInt = 1;
        }

        if (sub.MinInt == 0 && sub.MinFrac == 0 && !sub.HasExponent)
        {
            sub.MinInt = decimalIndex < 0 ? 1 : sub.MinInt;
        }

        return sub;
    }

    private static int CountOf(string s, string token)
    {
        if (token.Length == 0)
        {
            return 0;
        }

        var n = 0;
        var i = s.IndexOf(token, StringComparison.Ordinal);
        while (i >= 0)
        {
            n++;
            i = s.IndexOf(token, i + token.Length, StringComparison.Ordinal);
        }

        return n;
    }
}
