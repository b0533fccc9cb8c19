import Datasets
import Testing

@Test func locationReadsLikeAnEditorReference() {
    #expect(SourceLocation(file: "a/b.txt", line: 12).description == "a/b.txt:12")
    #expect(
        SourceLocation(file: "x.json", key: "v_1.timestamps[2]").description
            == "x.json (key v_1.timestamps[2])")
}
