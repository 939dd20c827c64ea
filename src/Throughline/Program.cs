using Throughline.Cli;

// Every verb, `serve` included, is a command in Cli/; `serve` builds the web app in Web/ThroughlineApp.cs.
return await CommandLine.RunAsync(args, Throughline.Cli.Console.System);
