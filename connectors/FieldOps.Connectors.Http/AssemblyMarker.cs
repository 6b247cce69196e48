namespace FieldOps.Connectors.Http;
