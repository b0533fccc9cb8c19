/// A comma-separated table (RFC 4180): quoted fields may contain commas, line breaks and doubled
/// quotes (`""`). Line endings may be LF or CRLF. The first record is the header.
struct CSVTable {
    /// One record and the 1-based line of the file where it starts.
    struct Record {
        var fields: [String]
        var line: Int
    }

    /// The column names.
    var header: [String]
    /// The records after the header, in file order.
    var records: [Record]

    /// Parses `text`; an unterminated quoted field runs to the end of the text.
    init(parsing text: String) {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var fieldWasQuoted = false
        let bytes = Array(text.utf8)
        var index = 0

        func finishField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func finishRecord() {
            finishField()
            // A blank line yields one empty unquoted field: not a record.
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(fields: fields, line: recordLine))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""):
                    if field.isEmpty && !fieldWasQuoted {
                        inQuotes = true
                        fieldWasQuoted = true
                    } else {
                        field.append(byte)
                    }
                case UInt8(ascii: ","):
                    finishField()
                case UInt8(ascii: "\r")
                where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n"):
                    break  // the "\n" that follows ends the record
                case UInt8(ascii: "\n"):
                    finishRecord()
                    line += 1
                    recordLine = line
                default:
                    field.append(byte)
                }
            }
            index += 1
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { finishRecord() }
        header = records.first?.fields ?? []
        self.records = Array(records.dropFirst())
    }
}
