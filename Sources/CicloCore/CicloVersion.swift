/// The version of this build of Ciclo, as `ciclo --version` prints it.
public enum CicloVersion {
    public static let current = "0.9.0"
}
