namespace FieldOps.Connectors.QuickBooks;
