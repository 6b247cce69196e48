namespace FieldOps.Connectors.BambooHR;
