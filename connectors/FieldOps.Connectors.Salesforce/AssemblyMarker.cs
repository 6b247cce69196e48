namespace FieldOps.Connectors.Salesforce;
