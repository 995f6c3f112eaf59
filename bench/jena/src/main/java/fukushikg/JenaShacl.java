package fukushikg;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.validation.ReportEntry;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.sparql.path.P_Link;

/**
 * The Jena SHACL peer of bench/: {@code java -cp ... fukushikg.JenaShacl DATA.nt SHAPES.ttl...}.
 * Prints one JSON line per validation result (focus, shape, path, severity), then one line
 * {"parse_ms":..,"validate_ms":..,"results":..}. Parsing is timed apart from validation.
 */
public final class JenaShacl {
    private JenaShacl() {}

    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    private static final Node SH_PROPERTY = NodeFactory.createURI("http://www.w3.org/ns/shacl#property");
    private static final Node SH_PATH = NodeFactory.createURI("http://www.w3.org/ns/shacl#path");

    /** A shape as the Python side names it: its IRI, or for a blank property shape "parent|path". */
    private static String shape(Node n, Graph shapes) {
        if (n == null) return "null";
        if (!n.isBlank()) return term(n);
        String parent = "";
        String path = "";
        var up = shapes.find(Node.ANY, SH_PROPERTY, n);
        if (up.hasNext()) parent = up.next().getSubject().toString();
        var p = shapes.find(n, SH_PATH, Node.ANY);
        if (p.hasNext()) path = p.next().getObject().toString();
        return json(parent + "|" + path);
    }

    private static String term(Node n) {
        if (n == null) return "null";
        if (n.isURI()) return json(n.getURI());
        if (n.isBlank()) return json("_:" + n.getBlankNodeLabel());
        if (n.isLiteral()) return json(n.getLiteralLexicalForm());
        return json(n.toString());
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: JenaShacl DATA.nt SHAPES.ttl...");
            System.exit(2);
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        Graph data = RDFDataMgr.loadGraph(args[0]);
        Graph shapesGraph = GraphFactory.createDefaultGraph();
        for (int i = 1; i < args.length; i++) RDFDataMgr.read(shapesGraph, args[i]);
        long t1 = System.nanoTime();
        Shapes shapes = Shapes.parse(shapesGraph);
        ValidationReport report = ShaclValidator.get().validate(shapes, data);
        long t2 = System.nanoTime();
        int n = 0;
        for (ReportEntry e : report.getEntries()) {
            String path = e.resultPath() == null ? "null"
                    : e.resultPath() instanceof P_Link link ? term(link.getNode()) : json(e.resultPath().toString());
            out.println("{\"focus\":" + term(e.focusNode()) + ",\"shape\":" + shape(e.source(), shapesGraph)
                    + ",\"path\":" + path + ",\"severity\":" + json(e.severity().level().getLocalName()) + "}");
            n++;
        }
        out.println("{\"parse_ms\":" + (t1 - t0) / 1_000_000 + ",\"validate_ms\":" + (t2 - t1) / 1_000_000
                + ",\"results\":" + n + "}");
        out.flush();
    }
}
