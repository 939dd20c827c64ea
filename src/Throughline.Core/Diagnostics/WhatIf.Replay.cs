using Throughline.Metrics;

namespace Throughline.Diagnostics;

public static partial class WhatIf
{
    /// <summary>One change to the measured flow, applied while drawing: at most one of its parts is set.</summary>
    /// <param name="WaitingFactor">[s × stages + k]: what each stage's waiting is multiplied by; null: unchanged.</param>
    /// <param name="Automate">The stage whose done passes are drawn from the automated stages instead; -1: none.</param>
    /// <param name="Boundary">The handoff whose crossings wait as long as a stage the same team held before; -1: none.</param>
    /// <param name="DeploymentsFactor">What deployments per day are multiplied by.</param>
    private sealed record Alteration(double[]? WaitingFactor = null, int Automate = -1, int Boundary = -1, double DeploymentsFactor = 1)
    {
        public static Alteration None { get; } = new();
    }

    /// <summary>
    /// Runs the trials: each simulates one lead time per slot (a service), the sum over the stages of a drawn pass (altered
    /// by the scenario) plus the drawn change's time outside the stages, and keeps the trial's median and 85th percentile.
    /// </summary>
    /// <remarks>
    /// Every scenario runs the same trials with the same streams: the measured passes are drawn from one stream, whose
    /// draws do not depend on the scenario, and the replacements a scenario draws (automated passes, waiting without a
    /// handoff) from a second one. Trial t of a scenario then differs from trial t of the baseline only by the change
    /// (common random numbers): the gains are not drowned in the noise of two independent replays.
    /// </remarks>
    private static (double[] Medians, double[] P85s) Replay(Measured measured, int[] slots, Alteration alteration, WhatIfOptions options)
    {
        var stages = measured.Stages;
        var independent = options.Resampling == WhatIfResampling.Stages;
        var factors = alteration.WaitingFactor;
        var (medians, p85s) = (new double[options.Trials], new double[options.Trials]);
        // Trials run in parallel: each draws from its own streams and writes its own slot, so the order they run in
        // changes nothing.
        Parallel.For(0, options.Trials, () => new double[slots.Length], (t, _, leads) =>
        {
            var (draws, spares) = (Draws.For(options.Seed, t, 0), Draws.For(options.Seed, t, 1));
            for (var j = 0; j < slots.Length; j++)
            {
                var s = slots[j];
                var (passes, outside) = (measured.Samples[s], measured.Outside[s]);
                var change = draws.Below(outside.Length);
                var lead = outside[change];
                for (var k = 0; k < stages; k++)
                {
                    var pass = passes[((independent && k > 0 ? draws.Below(outside.Length) : change) * stages) + k];
                    if (!pass.Done)
                    {
                        continue;
                    }

                    if (k == alteration.Automate)
                    {
                        pass = measured.Automated[spares.Below(measured.Automated.Length)];
                    }

                    var waiting = factors is null ? pass.Waiting : pass.Waiting * factors[(s * stages) + k];
                    if (pass.Boundary >= 0 && pass.Boundary == alteration.Boundary)
                    {
                        waiting = measured.SameTeamWaiting[spares.Below(measured.SameTeamWaiting.Length)];
                    }

                    lead += waiting + pass.Working;
                }

                leads[j] = lead;
            }

            var percentiles = Percentile.OfUnsorted(leads, 0.5, 0.85);
            (medians[t], p85s[t]) = (percentiles[0]!.Value, percentiles[1]!.Value);
            return leads;
        }, _ => { });

        return (medians, p85s);
    }

    /// <summary>The prediction from the trials' medians and 85th percentiles, and the deployments per day resampled by day.</summary>
    private static WhatIfPrediction Predict((double[] Medians, double[] P85s) trials, (double PerDay, Spread Spread) deployments, double deploymentsFactor)
    {
        Array.Sort(trials.Medians);
        Array.Sort(trials.P85s);
        return new WhatIfPrediction(
            Percentile.Of(trials.Medians, 0.5)!.Value, SpreadOf(trials.Medians), Percentile.Of(trials.P85s, 0.5)!.Value, SpreadOf(trials.P85s),
            deployments.PerDay * deploymentsFactor, new Spread(deployments.Spread.Low * deploymentsFactor, deployments.Spread.High * deploymentsFactor));
    }

    private static Spread SpreadOf(double[] sorted) => new(Percentile.Of(sorted, 0.05)!.Value, Percentile.Of(sorted, 0.95)!.Value);

    /// <summary>The measured deployments per day, and its spread when the window's days are resampled (a stream of its own).</summary>
    private static (double PerDay, Spread Spread) Deployments(Measured measured, double days, WhatIfOptions options)
    {
        var counts = measured.DeploymentsPerDay;
        var rates = new double[options.Trials];
        for (var t = 0; t < options.Trials; t++)
        {
            var draws = Draws.For(options.Seed, t, 2);
            var sum = 0L;
            for (var d = 0; d < counts.Length; d++)
            {
                sum += counts[draws.Below(counts.Length)];
            }

            rates[t] = sum / days;
        }

        Array.Sort(rates);
        return (counts.Sum() / days, SpreadOf(rates));
    }

    /// <summary>Which service each simulated change belongs to: every measured change's, or at most the cap shared in proportion.</summary>
    private static int[] Slots(Measured measured, int cap)
    {
        var counts = measured.Outside.Select(o => o.Length).ToArray();
        var total = counts.Sum();
        var shares = total <= cap ? counts : [.. counts.Select(c => Math.Max(1, (int)Math.Round((double)c * cap / total)))];
        return [.. shares.SelectMany((count, s) => Enumerable.Repeat(s, count))];
    }

    /// <summary>SplitMix64: a tiny generator whose sequence depends only on its seed, on every runtime; one per trial.</summary>
    private struct Draws(ulong state)
    {
        private ulong _state = state;

        /// <summary>Stream <paramref name="stream"/> (0 to 3) of a trial: its state depends on nothing else.</summary>
        public static Draws For(int seed, int trial, int stream) => new(Mix(((ulong)(uint)seed << 32) | ((ulong)(uint)stream << 30) | (uint)trial));

        public ulong Next() => Mix(_state += 0x9E3779B97F4A7C15);

        /// <summary>A draw below <paramref name="count"/>: the high word of draw × count (Lemire's reduction, bias below 2⁻³²).</summary>
        public int Below(int count) => Below(Next(), count);

        public static int Below(ulong draw, int count) => (int)Math.BigMul(draw, (ulong)count, out _);

        private static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }
}
