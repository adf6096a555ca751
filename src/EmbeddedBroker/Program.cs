using EmbeddedBroker.Hosting;

// Thin entry point: all composition lives in EmbeddedBrokerHost so tests can build the same host.
return await EmbeddedBrokerHost.RunAsync(args);
