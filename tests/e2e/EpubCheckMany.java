// EpubCheckMany.java - epubcheck (through its library API) over every EPUB
// named on the command line, in one JVM: the start-up and the schemas are
// paid once instead of about 6 s per file. For each file prints
// "epubcheck: OK FILE" or "epubcheck: FAIL FILE (F fatals, E errors,
// W warnings)" after epubcheck's own messages. Exits 1 if any failed.
// Run: java -cp /usr/share/java/epubcheck.jar EpubCheckMany.java FILE...
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class EpubCheckMany {
	public static void main(String[] args) {
		int failed = 0;
		for (String path : args) {
			DefaultReportImpl report = new DefaultReportImpl(path);
			new EpubCheck(new File(path), report).doValidate();
			int f = report.getFatalErrorCount(), e = report.getErrorCount();
			int w = report.getWarningCount();
			if (f + e + w == 0) {
				System.out.println("epubcheck: OK " + path);
			} else {
				failed++;
				System.out.println("epubcheck: FAIL " + path + " (" + f + " fatals, "
						   + e + " errors, " + w + " warnings)");
			}
		}
		System.exit(failed == 0 ? 0 : 1);
	}
}
