import AblateCollect
import Testing

@Suite struct HELMETFileNameTests {
    @Test(arguments: [
        (
            "json_kv_v1_test_k440_dep6_in32768_size100_shots2_sampFalsemax100min0t0.0p1.0_chatFalse_42.json",
            "json_kv", "test_k440_dep6", 32768, 2, 42
        ),
        (
            "kilt_popqa_3_v1_popqa_test_1000_k440_dep6_in65536_size100_shots2_sampFalsemax20min0t0.0p1.0_chatFalse_42.json.score",
            "kilt_popqa_3", "popqa_test_1000_k440_dep6", 65536, 2, 42
        ),
        (
            "icl_trec_coarse_1600shot_balance_v1__in32768_size500_shots0_sampFalsemax20min0t0.0p1.0_chatFalse_42.json",
            "icl_trec_coarse_1600shot_balance", "", 32768, 0, 42
        ),
        (
            "narrativeqa_65236_v1__in65536_size100_shots2_sampFalsemax100min0t0.0p1.0_chatTrue_7-gpt4eval_o.json",
            "narrativeqa_65236", "", 65536, 2, 7
        ),
        (
            "ruler_niah_mk_2_v1_validation_32768_in32768_size100_shots0_sampTruemax50min0t0.6p1.0_chatFalse_42.json",
            "ruler_niah_mk_2", "validation_32768", 32768, 0, 42
        ),
    ])
    func parsesWhatEvalPyWrites(name: String, dataset: String, test: String, length: Int, shots: Int, seed: Int) throws
    {
        let parsed = try #require(HELMETFileName(name))
        let split = try #require(parsed.split(tag: "v1"))
        #expect(split.dataset == dataset)
        #expect(split.test == test)
        #expect(parsed.length == length)
        #expect(parsed.shots == shots)
        #expect(parsed.seed == seed)
        #expect(parsed.split(tag: "v2") == nil)
    }

    @Test(arguments: [
        "results.json", "json_kv_v1_in32768.json", "notes.txt", "x_in12_size1_shots2_sampFalse_chatFalse_abc.json",
    ])
    func rejectsOtherNames(name: String) {
        #expect(HELMETFileName(name) == nil)
    }

    @Test(arguments: [
        ("kilt_nq", "nq"), ("kilt_popqa_3", "popqa"), ("icl_banking77_1450shot_balance", "banking77"),
        ("infbench_qa_eng_32558", "infbench_qa"), ("infbench_choice_eng_32558", "infbench_choice"),
        ("alce_asqa_165", "alce_asqa"), ("ruler_niah_mk_2", "ruler_niah_mk_2"), ("multi_lexsum_32068", "multi_lexsum"),
    ])
    func datasetsMatchTheFirstTableKeyTheyContain(dataset: String, key: String) {
        #expect(HELMETScoring.entry(of: dataset)?.key == key)
    }
}
