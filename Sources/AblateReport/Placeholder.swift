public enum AblateReportPlaceholder {}
