namespace FieldOps.Connectors.HubSpot;
