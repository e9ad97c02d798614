/// Version of the pageviews executables, shown by `--version` and the build-info metric.
public enum PageviewsVersion {
    public static let current = "0.1.0"
}
