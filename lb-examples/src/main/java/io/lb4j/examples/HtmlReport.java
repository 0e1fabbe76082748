package io.lb4j.examples;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page (inline SVG, inline CSS, no scripts or fonts from elsewhere) with
 * the demo's results: latency percentiles per strategy and each backend's share over time.
 */
final class HtmlReport {

    private static final String[] COLORS = {"#4e79a7", "#e15759", "#f28e2b", "#76b7b2", "#59a14f", "#b07aa1", "#9c755f"};
    private static final int BUCKETS = 25;

    private HtmlReport() {}

    static String render(Demo.Options options, List<Scenario.Phase> phases, List<String> backendNames,
                         List<LoadRun.Event> events, String verdict) {
        StringBuilder h = new StringBuilder(32_000);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>lb4j demo report</title>")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
                .append("th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}")
                .append(".verdict{font-size:1.2em;font-weight:bold;margin:1em 0}svg{background:#fff;border:1px solid #ddd;margin:.5em 0}")
                .append("</style></head><body>");
        h.append("<h1>lb4j demo report</h1>");
        h.append("<p>").append(options.requests).append(" GET requests per strategy at concurrency ")
                .append(options.concurrency).append(", through <code>LoadBalancedHttpClient</code> with active health checks ")
                .append("and outlier detection. Backends: ").append(esc(String.join(", ", backendNames))).append(".</p>");
        h.append("<p>Events in every run: ");
        for (int i = 0; i < events.size(); i++) {
            LoadRun.Event e = events.get(i);
            h.append(i == 0 ? "" : "; ").append(esc(e.label())).append(" at request ").append(e.atRequest());
        }
        h.append(".</p>");
        h.append("<p class=\"verdict\">").append(esc(verdict)).append("</p>");

        h.append("<h2>Results</h2><table><tr><th>strategy</th>");
        for (String b : backendNames) {
            h.append("<th>").append(esc(b)).append("</th>");
        }
        h.append("<th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th><th>errors</th><th>retries</th><th>ejections</th><th>req/s</th></tr>");
        for (Scenario.Phase p : phases) {
            Map<String, Integer> per = p.result.perBackend();
            h.append("<tr><td>").append(esc(p.strategy)).append("</td>");
            for (String b : backendNames) {
                h.append("<td>").append(per.getOrDefault(b, 0)).append("</td>");
            }
            h.append(td(p.result.percentileMillis(50))).append(td(p.result.percentileMillis(95)))
                    .append(td(p.result.percentileMillis(99))).append(td(p.result.percentileMillis(100)))
                    .append("<td>").append(p.result.errors).append("</td><td>").append(p.retries)
                    .append("</td><td>").append(p.ejections).append("</td>")
                    .append(td(p.result.requests() / (p.result.elapsedNanos / 1e9))).append("</tr>");
        }
        h.append("</table>");

        h.append("<h2>Latency percentiles</h2>");
        percentileChart(h, phases);
        h.append("<h2>Share of requests per backend over the run</h2>")
                .append("<p>Each chart is one strategy; the x axis is the run in ").append(BUCKETS)
                .append(" slices of requests, dashed lines mark the events.</p>");
        for (Scenario.Phase p : phases) {
            shareChart(h, p, backendNames, events, options.requests);
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static String td(double v) {
        return "<td>" + String.format(Locale.ROOT, "%.1f", v) + "</td>";
    }

    private static void percentileChart(StringBuilder h, List<Scenario.Phase> phases) {
        double[] ps = {50, 95, 99};
        String[] names = {"p50", "p95", "p99"};
        double max = 1;
        for (Scenario.Phase p : phases) {
            max = Math.max(max, p.result.percentileMillis(99));
        }
        max = niceCeiling(max);
        int w = 900;
        int hgt = 320;
        int left = 60;
        int bottom = 40;
        int plotH = hgt - bottom - 20;
        int group = (w - left - 20) / Math.max(1, phases.size());
        int bar = Math.max(6, (group - 20) / 3);
        h.append("<svg width=\"").append(w).append("\" height=\"").append(hgt).append("\" role=\"img\" aria-label=\"latency percentiles\">");
        for (int t = 0; t <= 4; t++) {
            double v = max * t / 4;
            int y = 20 + plotH - (int) (plotH * t / 4.0);
            h.append(line(left, y, w - 10, y, "#eee", false))
                    .append(text(left - 6, y + 4, fmt(v) + " ms", "end", 11));
        }
        for (int i = 0; i < phases.size(); i++) {
            Scenario.Phase p = phases.get(i);
            int gx = left + i * group + 10;
            for (int k = 0; k < ps.length; k++) {
                double v = p.result.percentileMillis(ps[k]);
                int bh = (int) Math.round(plotH * Math.min(1, v / max));
                int x = gx + k * bar;
                h.append("<rect x=\"").append(x).append("\" y=\"").append(20 + plotH - bh).append("\" width=\"")
                        .append(bar - 2).append("\" height=\"").append(bh).append("\" fill=\"").append(COLORS[k])
                        .append("\"><title>").append(esc(p.strategy)).append(' ').append(names[k]).append(": ")
                        .append(fmt(v)).append(" ms</title></rect>");
            }
            h.append(text(gx + bar * 3 / 2, hgt - bottom + 16, p.strategy, "middle", 12));
        }
        for (int k = 0; k < ps.length; k++) {
            int x = w - 200 + k * 60;
            h.append("<rect x=\"").append(x).append("\" y=\"4\" width=\"10\" height=\"10\" fill=\"").append(COLORS[k]).append("\"/>")
                    .append(text(x + 14, 13, names[k], "start", 11));
        }
        h.append("</svg>");
    }

    private static void shareChart(StringBuilder h, Scenario.Phase p, List<String> backendNames, List<LoadRun.Event> events,
                                   int requests) {
        Map<String, double[]> shares = p.result.sharesOverTime(BUCKETS);
        int w = 900;
        int hgt = 200;
        int left = 60;
        int top = 24;
        int plotW = w - left - 150;
        int plotH = hgt - top - 20;
        h.append("<svg width=\"").append(w).append("\" height=\"").append(hgt).append("\" role=\"img\" aria-label=\"")
                .append(esc(p.strategy)).append(" shares\">");
        h.append(text(left, 16, p.strategy, "start", 13));
        double[] base = new double[BUCKETS];
        for (int b = 0; b < backendNames.size(); b++) {
            double[] s = shares.getOrDefault(backendNames.get(b), new double[BUCKETS]);
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < BUCKETS; i++) {
                pts.append(x(left, plotW, i)).append(',').append(y(top, plotH, base[i] + s[i])).append(' ');
            }
            for (int i = BUCKETS - 1; i >= 0; i--) {
                pts.append(x(left, plotW, i)).append(',').append(y(top, plotH, base[i])).append(' ');
            }
            h.append("<polygon points=\"").append(pts).append("\" fill=\"").append(COLORS[b % COLORS.length])
                    .append("\" fill-opacity=\"0.85\"><title>").append(esc(backendNames.get(b))).append("</title></polygon>");
            for (int i = 0; i < BUCKETS; i++) {
                base[i] += s[i];
            }
            int ly = top + 12 + b * 16;
            h.append("<rect x=\"").append(left + plotW + 16).append("\" y=\"").append(ly - 9).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(COLORS[b % COLORS.length]).append("\"/>").append(text(left + plotW + 30, ly, backendNames.get(b), "start", 11));
        }
        for (LoadRun.Event e : events) {
            double pos = (double) e.atRequest() / requests * (BUCKETS - 1);
            int x = left + (int) Math.round(plotW * pos / (BUCKETS - 1));
            h.append(line(x, top, x, top + plotH, "#000", true));
        }
        h.append(text(left - 6, top + 4, "100%", "end", 10)).append(text(left - 6, top + plotH + 4, "0%", "end", 10));
        h.append("</svg>");
    }

    private static int x(int left, int plotW, int i) {
        return left + (int) Math.round(plotW * i / (double) (BUCKETS - 1));
    }

    private static int y(int top, int plotH, double share) {
        return top + plotH - (int) Math.round(plotH * Math.min(1, share));
    }

    private static String line(int x1, int y1, int x2, int y2, String color, boolean dashed) {
        return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"" + color + "\""
                + (dashed ? " stroke-dasharray=\"4 3\"" : "") + "/>";
    }

    private static String text(int x, int y, String s, String anchor, int size) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" text-anchor=\"" + anchor + "\" font-size=\"" + size + "\">" + esc(s) + "</text>";
    }

    private static double niceCeiling(double v) {
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * mag >= v) {
                return m * mag;
            }
        }
        return 10 * mag;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 10 && v == Math.rint(v) ? "%.0f" : "%.1f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
