using Letterbox.Bench;

// Letterbox benchmarks: see bench/README.md.
//   generate --messages 100000 --data DIR [--user bench@example.com] [--password bench] [--batch 1000] [--concurrency 32]
//   imap --data DIR [--user ..] [--password ..] [--repeat 5] [--connections 1000] [--only commands,queries,memory] [--queries FILE] [--letterbox PATH] | --server host:port
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: Letterbox.Bench generate --messages N --data DIR [--user NAME] [--password P] [--batch N] [--concurrency N] [--corpus DIR]");
    Console.WriteLine("       Letterbox.Bench imap (--data DIR | --server 127.0.0.1:PORT) [--user NAME] [--password P] [--repeat N] [--connections N] [--only commands,queries,memory] [--queries FILE] [--letterbox PATH/letterbox.dll]");
    Console.WriteLine("       Letterbox.Bench sortgrowth --data DIR [--user NAME] [--scales 10000,100000,1000000] [--repeat N]");
    Console.WriteLine("       Letterbox.Bench compare [--quick] [--only mixed,sync,big,queries,append,idle,connections] [--queries FILE] [--query-runs N] [--clients 1,10,100] [--duration S] [--repeat N] [--against 127.0.0.1:PORT [--against-name NAME] [--against-pid PID] [--user U --password P]] (see bench/README.md)");
    return args.Length == 0 ? 2 : 0;
}

if (args[0] == "compare")
{
    Letterbox.Bench.Compare.CompareOptions compareOptions;
    try
    {
        compareOptions = Letterbox.Bench.Compare.CompareOptions.Parse(args.AsSpan(1));
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine("error: " + e.Message);
        return 2;
    }
    if (!compareOptions.ListUsers)
    {
        Console.WriteLine(Report.Machine());
    }
    using var compareCancel = new CancellationTokenSource(compareOptions.TimeLimit);
    // SIGINT and SIGTERM (bench/run's trap) cancel the run, so the letterbox server is stopped and its data removed.
    using var onInterrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
    using var onTerminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
    void Stop(System.Runtime.InteropServices.PosixSignalContext context)
    {
        context.Cancel = true;
        compareCancel.Cancel();
    }
    try
    {
        return await Letterbox.Bench.Compare.CompareCommand.RunAsync(compareOptions, compareCancel.Token);
    }
    catch (OperationCanceledException) when (compareCancel.IsCancellationRequested)
    {
        Console.Error.WriteLine($"error: the comparison did not finish within {compareOptions.TimeLimit} (or was interrupted).");
        return 1;
    }
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args.AsSpan(1));
}
catch (ArgumentException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 2;
}

Console.WriteLine(Report.Machine());
using var cancel = new CancellationTokenSource(options.TimeLimit);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
try
{
    return args[0] switch
    {
        "generate" => await GenerateWorkload.RunAsync(options, cancel.Token),
        "imap" => await ImapWorkload.RunAsync(options, cancel.Token),
        "sortgrowth" => await SortGrowthWorkload.RunAsync(options, cancel.Token),
        _ => Unknown(args[0]),
    };
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine($"error: the benchmark did not finish within {options.TimeLimit} (or was interrupted).");
    return 1;
}

static int Unknown(string workload)
{
    Console.Error.WriteLine($"error: unknown workload '{workload}'; use 'generate', 'imap' or 'sortgrowth'.");
    return 2;
}
