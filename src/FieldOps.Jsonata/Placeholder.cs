namespace FieldOps.Jsonata;
